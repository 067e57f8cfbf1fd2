namespace CnnTrain.Devices;

/// <summary>
/// A contiguous view of a <see cref="DeviceBuffer{T}"/>: the device-side counterpart of <see cref="Span{T}"/>.
/// The default value is the empty slice, which operations read as "not wanted" where an output is optional.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct DeviceSlice<T> : IEquatable<DeviceSlice<T>>
    where T : unmanaged
{
    /// <summary>Creates a view of <paramref name="length"/> elements of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer.</exception>
    public DeviceSlice(DeviceBuffer<T> buffer, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || length < 0 || (long)offset + length > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset), $"The range [{offset}, {(long)offset + length}) lies outside a buffer of {buffer.Length} elements.");
        }

        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    /// <summary>The buffer viewed, or null for the empty slice.</summary>
    public DeviceBuffer<T>? Buffer { get; }

    /// <summary>The index of the first element in <see cref="Buffer"/>.</summary>
    public int Offset { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>True for the default (absent) slice.</summary>
    public bool IsEmpty => Buffer is null || Length == 0;

    /// <summary>A narrower view, relative to this one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside this slice.</exception>
    public DeviceSlice<T> Slice(int start, int length)
    {
        if (Buffer is null)
        {
            throw new InvalidOperationException("The empty slice cannot be sliced.");
        }

        if (start < 0 || length < 0 || (long)start + length > Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"The range [{start}, {(long)start + length}) lies outside a slice of {Length} elements.");
        }

        return new DeviceSlice<T>(Buffer, Offset + start, length);
    }

    /// <inheritdoc />
    public bool Equals(DeviceSlice<T> other) =>
        ReferenceEquals(Buffer, other.Buffer) && Offset == other.Offset && Length == other.Length;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeviceSlice<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Buffer, Offset, Length);

    /// <summary>Same buffer, offset and length.</summary>
    public static bool operator ==(DeviceSlice<T> left, DeviceSlice<T> right) => left.Equals(right);

    /// <summary>Different buffer, offset or length.</summary>
    public static bool operator !=(DeviceSlice<T> left, DeviceSlice<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Buffer is null ? "DeviceSlice<empty>" : $"DeviceSlice<{typeof(T).Name}>[{Offset}..{Offset + Length})";
}
