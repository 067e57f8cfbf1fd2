using Microsoft.Win32.SafeHandles;

namespace CnnTrain.Data;

/// <summary>
/// Labelled samples that stay on disk and are read in slices when asked for: raw (uncompressed) CIFAR-10 binary files
/// or an IDX image/label pair, for data that does not fit in memory at once. Opening checks every file's size against
/// its format, so a slice read later fails only on a label out of range or a file changed meanwhile. Train on it one
/// slice at a time (see <see cref="Slices"/>): each slice is an ordinary <see cref="Dataset"/>, and a trainer keeps only
/// the few datasets it saw last on its device. Not thread-safe.
/// </summary>
public sealed class StreamingDataset : IDisposable
{
    private readonly Source[] _sources;
    private readonly byte[]? _labels; // IDX: the labels, read when opened (one byte a sample)
    private readonly int _recordBytes;
    private readonly int _pixelOffset;

    private StreamingDataset(Source[] sources, TensorShape shape, int classes, byte[]? labels, int recordBytes, int pixelOffset)
    {
        _sources = sources;
        SampleShape = shape;
        Classes = classes;
        _labels = labels;
        _recordBytes = recordBytes;
        _pixelOffset = pixelOffset;
        Count = checked((int)sources.Sum(s => s.Count));
    }

    /// <summary>One sample's shape.</summary>
    public TensorShape SampleShape { get; }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of samples in all the files.</summary>
    public int Count { get; }

    /// <summary>Opens raw CIFAR-10 binary files, their records in the order given.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is compressed (a gzip stream cannot be read from the middle), or is not a whole number of records.</exception>
    public static StreamingDataset OpenCifar10(IEnumerable<string> paths, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var sources = new List<Source>();
        try
        {
            foreach (string path in paths)
            {
                SafeFileHandle handle = OpenRaw(path);
                sources.Add(new Source(path, handle, 0, 0));
                long length = RandomAccess.GetLength(handle);
                Cifar10Reader.CheckLength(length, path);
                sources[^1] = sources[^1] with { Count = length / Cifar10Reader.RecordBytes };
            }

            if (sources.Count == 0)
            {
                throw new ArgumentException("Give at least one CIFAR-10 file.", nameof(paths));
            }

            return new StreamingDataset([.. sources], Cifar10Reader.SampleShape, classes, null, Cifar10Reader.RecordBytes, 1);
        }
        catch
        {
            sources.ForEach(s => s.Handle.Dispose());
            throw;
        }
    }

    /// <summary>Opens a raw IDX image/label pair; the labels (one byte a sample) are read and checked now, the images when asked for.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, or the counts differ.</exception>
    /// <exception cref="DataFormatException">The image file is compressed (a gzip stream cannot be read from the middle).</exception>
    public static StreamingDataset OpenIdx(string imagesPath, string labelsPath, int classes = 10)
    {
        byte[] labels = IdxReader.ReadLabels(labelsPath, classes);
        SafeFileHandle handle = OpenRaw(imagesPath);
        try
        {
            int[] dims;
            long dataStart;
            using (FileStream header = File.OpenRead(imagesPath))
            {
                dims = IdxReader.ReadHeader(header, imagesPath, 3);
                dataStart = header.Position;
                IdxReader.CheckDataLength(imagesPath, dims, header.Length - dataStart);
            }

            if (dims[0] != labels.Length)
            {
                throw new IdxFormatException(labelsPath, $"holds {labels.Length} labels for the {dims[0]} images of {imagesPath}.");
            }

            var source = new Source(imagesPath, handle, dataStart, dims[0]);
            return new StreamingDataset([source], TensorShape.Image(1, dims[1], dims[2]), classes, labels, dims[1] * dims[2], 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="count"/> samples from <paramref name="start"/> into a new dataset (pixels as <c>byte / 255f</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the samples.</exception>
    /// <exception cref="DataFormatException">A label is out of range, or a file is shorter than when it was opened.</exception>
    public Dataset Read(int start, int count)
    {
        ObjectDisposedException.ThrowIf(_sources[0].Handle.IsClosed, this);
        if (start < 0 || count < 1 || (long)start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {(long)start + count}) is not a non-empty range of the {Count} samples.");
        }

        int size = SampleShape.Size;
        var samples = new float[checked(count * size)];
        var labels = new int[count];
        long first = 0, end = (long)start + count;
        int n = 0;
        foreach (Source source in _sources)
        {
            long from = Math.Max(start, first), to = Math.Min(end, first + source.Count);
            if (from < to)
            {
                // The slice's records of this file in one read.
                var records = new byte[checked((int)((to - from) * _recordBytes))];
                if (RandomAccess.Read(source.Handle, records, source.DataStart + ((from - first) * _recordBytes)) != records.Length)
                {
                    throw new DataFormatException(source.Path, $"ended before record {to - first - 1}: the file changed after it was opened.");
                }

                for (int r = 0; r < to - from; r++, n++)
                {
                    ReadOnlySpan<byte> record = records.AsSpan(r * _recordBytes, _recordBytes);
                    int label = _labels is null ? record[0] : _labels[from + r];
                    if (label >= Classes)
                    {
                        throw new DataFormatException(source.Path, $"record {from - first + r} has label {label}, outside [0, {Classes}).");
                    }

                    labels[n] = label;
                    for (int i = 0; i < size; i++)
                    {
                        samples[(n * size) + i] = record[_pixelOffset + i] / 255f;
                    }
                }
            }

            first += source.Count;
        }

        return new Dataset(SampleShape, samples, labels, Classes);
    }

    /// <summary>The samples in consecutive slices of <paramref name="samplesPerSlice"/> (the last takes what remains), each read when it is reached.</summary>
    public IEnumerable<Dataset> Slices(int samplesPerSlice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSlice, 1);
        return Iterate();

        IEnumerable<Dataset> Iterate()
        {
            for (int start = 0; start < Count; start += samplesPerSlice)
            {
                yield return Read(start, Math.Min(samplesPerSlice, Count - start));
            }
        }
    }

    /// <summary>Closes the files.</summary>
    public void Dispose()
    {
        foreach (Source s in _sources)
        {
            s.Handle.Dispose();
        }
    }

    private static SafeFileHandle OpenRaw(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFormatException(path, "is compressed; a gzip stream cannot be read from the middle, so decompress it to stream it, or load it whole.");
        }

        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    private sealed record Source(string Path, SafeFileHandle Handle, long DataStart, long Count);
}
