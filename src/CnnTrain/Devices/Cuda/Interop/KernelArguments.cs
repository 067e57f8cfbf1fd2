using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnTrain.Devices.Cuda.Interop;

/// <summary>
/// The arguments of one kernel launch, packed into storage the caller provides (normally on the stack), so
/// that a launch allocates nothing and boxes nothing. Each value is copied into <c>values</c> at an offset
/// aligned to its size; <c>slots</c> becomes the <c>void**</c> array that <c>cuLaunchKernel</c> reads, one
/// slot per argument. Slots hold offsets until the launch, which pins the storage and turns them into
/// addresses only for the duration of the call, so the storage may also be a heap array.
/// </summary>
/// <example>
/// Launching <c>add_one(float* data, int count)</c>:
/// <code>
/// Span&lt;byte&gt; values = stackalloc byte[64];
/// Span&lt;nint&gt; slots = stackalloc nint[8];
/// var arguments = new KernelArguments(values, slots);
/// arguments.Add(buffer.Pointer);   // CUdeviceptr, 8 bytes
/// arguments.Add(count);            // int, 4 bytes
/// kernel.Launch(stream, ((uint)blocks, 1, 1), (256, 1, 1), 0, ref arguments);
/// </code>
/// Each value's type must match the kernel parameter's size exactly: pass <see cref="int"/> for
/// <c>int</c>, <see cref="ulong"/> (a device pointer) for <c>T*</c>, <see cref="float"/> for <c>float</c>.
/// </example>
internal ref struct KernelArguments
{
    private const int MaxAlignment = 16;

    private readonly Span<byte> _values;
    private readonly Span<nint> _slots;
    private int _byteCount;
    private int _count;

    /// <summary>Creates an empty argument list over the caller's storage.</summary>
    /// <param name="values">Storage for the argument values; the sum of their aligned sizes must fit.</param>
    /// <param name="slots">Storage for one pointer per argument.</param>
    public KernelArguments(Span<byte> values, Span<nint> slots)
    {
        _values = values;
        _slots = slots;
    }

    /// <summary>The number of arguments added.</summary>
    public readonly int Count => _count;

    /// <summary>The bytes of value storage used, padding included.</summary>
    public readonly int ByteCount => _byteCount;

    /// <summary>The packed values, padding included.</summary>
    public readonly ReadOnlySpan<byte> Values => _values[.._byteCount];

    internal readonly Span<byte> ValueStorage => _values;

    internal readonly Span<nint> SlotStorage => _slots;

    /// <summary>Appends an argument: copies <paramref name="value"/> at the next offset aligned to its size.</summary>
    /// <exception cref="InvalidOperationException">The value or slot storage is full.</exception>
    public void Add<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int alignment = AlignmentOf(size);
        int offset = (_byteCount + alignment - 1) & -alignment;
        if (_count == _slots.Length)
        {
            throw new InvalidOperationException($"Kernel argument {_count} does not fit: the slot storage holds {_slots.Length} arguments.");
        }

        if (offset > _values.Length - size)
        {
            throw new InvalidOperationException($"Kernel argument {_count} ({size} bytes at offset {offset}) does not fit in {_values.Length} bytes of value storage.");
        }

        MemoryMarshal.Write(_values[offset..], in value);
        _slots[_count++] = offset;
        _byteCount = offset + size;
    }

    /// <summary>The offset of argument <paramref name="index"/> in the value storage.</summary>
    public readonly int OffsetOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return (int)_slots[index];
    }

    /// <summary>The alignment of a value: the largest power of two dividing its size, at most 16.</summary>
    public static int AlignmentOf(int size) => Math.Min(size & -size, MaxAlignment);

    /// <summary>Turns the slots from offsets into addresses within the value storage, pinned at <paramref name="valuesAddress"/>.</summary>
    internal readonly void PointSlotsAt(nint valuesAddress)
    {
        for (int i = 0; i < _count; i++)
        {
            _slots[i] += valuesAddress;
        }
    }

    /// <summary>Undoes <see cref="PointSlotsAt"/>, so that the storage may move and the arguments be launched again.</summary>
    internal readonly void RestoreSlotOffsets(nint valuesAddress)
    {
        for (int i = 0; i < _count; i++)
        {
            _slots[i] -= valuesAddress;
        }
    }
}
