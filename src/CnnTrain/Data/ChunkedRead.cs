using System.Diagnostics.CodeAnalysis;

namespace CnnTrain.Data;

/// <summary>
/// Reads a promised number of bytes from a stream whose length is unknown (decompressed data), allocating
/// only as the bytes arrive: a promise the stream does not keep costs at most one chunk beyond the bytes it
/// did hold, and one that it keeps costs the data twice (the chunks, then the array they are joined into).
/// </summary>
internal static class ChunkedRead
{
    /// <summary>
    /// The most allocated ahead of data that may never come. Small enough to be cheap on a lying header, large
    /// enough that the largest payload (2 GiB) needs only 65,536 chunks.
    /// </summary>
    public const int ChunkBytes = 32 * 1024;

    /// <summary>Reads exactly <paramref name="length"/> bytes, or reports how many there were.</summary>
    /// <returns>Whether the stream held all of them; <paramref name="read"/> counts those it held.</returns>
    public static bool TryRead(Stream stream, int length, [NotNullWhen(true)] out byte[]? data, out long read)
    {
        var chunks = new List<byte[]>();
        read = 0;
        while (read < length)
        {
            var chunk = new byte[(int)Math.Min(ChunkBytes, length - read)];
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            read += got;
            if (got < chunk.Length)
            {
                data = null;
                return false;
            }

            chunks.Add(chunk);
        }

        data = chunks.Count == 1 ? chunks[0] : Join(chunks, length);
        return true;
    }

    /// <summary>Reads a stream to its end, unless it holds more than <paramref name="maxLength"/> bytes.</summary>
    /// <returns>Whether the stream ended within the limit; <paramref name="read"/> counts the bytes read (up to one past the limit).</returns>
    public static bool TryReadToEnd(Stream stream, int maxLength, [NotNullWhen(true)] out byte[]? data, out long read)
    {
        var chunks = new List<byte[]>();
        read = 0;
        while (true)
        {
            var chunk = new byte[(int)Math.Min(ChunkBytes, (long)maxLength - read + 1)];
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            read += got;
            if (read > maxLength)
            {
                data = null;
                return false;
            }

            if (got < chunk.Length)
            {
                chunks.Add(chunk[..got]);
                data = Join(chunks, (int)read);
                return true;
            }

            chunks.Add(chunk);
        }
    }

    private static byte[] Join(List<byte[]> chunks, int length)
    {
        var data = new byte[length];
        int offset = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            chunks[i].CopyTo(data, offset);
            offset += chunks[i].Length;
        }

        return data;
    }
}
