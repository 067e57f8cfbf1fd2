namespace CnnTrain.Devices.Cpu;

/// <summary>
/// A pointer and a length that a parallel loop body can capture (spans cannot be captured by lambdas).
/// Only valid while the memory is pinned by the caller, which for the duration of one operation it is:
/// host buffers are arrays held by the operation's caller, and the operation does not return before the loop ends.
/// </summary>
internal readonly unsafe struct RawSpan<T>
    where T : unmanaged
{
    private readonly T* _pointer;

    public RawSpan(T* pointer, int length)
    {
        _pointer = pointer;
        Length = length;
    }

    public int Length { get; }

    public bool IsEmpty => Length == 0;

    public Span<T> Span => new(_pointer, Length);

    public Span<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return new Span<T>(_pointer + start, length);
    }

    public T* Pointer => _pointer;
}
