using CnnTrain.Data;

namespace CnnTrain.Training;

/// <summary>The training samples of each epoch, augmented on the host and uploaded over the device's copy.</summary>
public sealed partial class Trainer
{
    private float[] _augmented = []; // the host copy of an epoch's augmented samples, reused

    // Uploads epoch `epoch`'s (from 0) augmentation of the entry's samples over its device copy, when augmenting.
    private void Augment(DatasetCache.Entry entry, int epoch)
    {
        if (Options.Augmentation is not { IsIdentity: false } augmentation)
        {
            return;
        }

        Dataset data = entry.Data;
        if (_augmented.Length != data.Samples.Length)
        {
            _augmented = new float[data.Samples.Length];
        }

        augmentation.Apply(data, Options.Seed, epoch, _augmented);
        Device.Upload<float>(_augmented, entry.Uploaded.Samples);
        entry.HoldsAugmented = true;
    }

    // An entry whose device copy holds augmented samples gets its own samples back before it is evaluated.
    private void Unaugment(DatasetCache.Entry entry)
    {
        if (entry.HoldsAugmented)
        {
            Device.Upload(entry.Data.Samples.Span, entry.Uploaded.Samples);
            entry.HoldsAugmented = false;
        }
    }
}
