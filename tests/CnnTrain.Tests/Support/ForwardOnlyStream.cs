namespace CnnTrain.Tests.Support;

/// <summary>Bytes that can be read once, front to back, with no length: as a pipe or a socket gives them.</summary>
public sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("a forward-only stream has no length");

    public override long Position
    {
        get => throw new NotSupportedException("a forward-only stream has no position");
        set => throw new NotSupportedException("a forward-only stream cannot seek");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = Math.Min(buffer.Length, bytes.Length - _position);
        bytes.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a forward-only stream cannot seek");

    public override void SetLength(long value) => throw new NotSupportedException("a forward-only stream is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a forward-only stream is read-only");
}
