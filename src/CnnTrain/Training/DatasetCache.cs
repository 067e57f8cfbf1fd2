using CnnTrain.Data;
using CnnTrain.Devices;

namespace CnnTrain.Training;

/// <summary>
/// The datasets a trainer keeps on its device, with the programs recorded over them: the most recently used few, so a
/// caller that passes a new slice every epoch keeps the device's memory flat instead of growing it by a copy each time.
/// </summary>
internal sealed class DatasetCache(IComputeDevice device) : IDisposable
{
    /// <summary>Enough for a training set, a test set and a change of either without uploading again.</summary>
    public const int Capacity = 4;

    private readonly List<Entry> _entries = []; // most recently used first

    /// <summary>The entry of <paramref name="data"/>, uploaded on first use; the least recently used beyond <see cref="Capacity"/> is released.</summary>
    public Entry Get(Dataset data)
    {
        int index = _entries.FindIndex(e => ReferenceEquals(e.Data, data));
        Entry entry;
        if (index >= 0)
        {
            entry = _entries[index];
            _entries.RemoveAt(index);
        }
        else
        {
            entry = new Entry(data, new DeviceDataset(device, data));
        }

        _entries.Insert(0, entry);
        while (_entries.Count > Capacity)
        {
            _entries[^1].Dispose();
            _entries.RemoveAt(_entries.Count - 1);
        }

        return entry;
    }

    /// <summary>Releases the recorded programs (they refer to a network plan that is being replaced); the data stays.</summary>
    public void ReleasePrograms()
    {
        foreach (Entry e in _entries)
        {
            e.ReleasePrograms();
        }
    }

    public void Dispose()
    {
        foreach (Entry e in _entries)
        {
            e.Dispose();
        }

        _entries.Clear();
    }

    /// <summary>One dataset on the device and the programs recorded over it.</summary>
    internal sealed class Entry(Dataset data, DeviceDataset uploaded) : IDisposable
    {
        public Dataset Data { get; } = data;

        public DeviceDataset Uploaded { get; } = uploaded;

        public EpochPlan? Epoch { get; set; }

        public EvaluationPlan? Evaluation { get; set; }

        /// <summary>Whether the device copy holds an epoch's augmented samples instead of the dataset's own.</summary>
        public bool HoldsAugmented { get; set; }

        public void ReleasePrograms()
        {
            Epoch?.Dispose();
            Evaluation?.Dispose();
            Epoch = null;
            Evaluation = null;
        }

        public void Dispose()
        {
            ReleasePrograms();
            Uploaded.Dispose();
        }
    }
}
