namespace CnnTrain.Optimizers;

/// <summary>
/// The elements of every tensor of an update cut into ranges of at most <see cref="Elements"/>, numbered across the
/// tensors, so that one parallel region covers the whole update instead of one region per tensor.
/// </summary>
internal static class UpdateRanges
{
    /// <summary>The most elements of one range: enough work to outweigh a task's overhead.</summary>
    public const int Elements = 4096;

    /// <summary>The number of ranges over all <paramref name="tensors"/>.</summary>
    public static int Count(UpdateTensor[] tensors)
    {
        int count = 0;
        foreach (UpdateTensor t in tensors)
        {
            count += RangesOf(t);
        }

        return count;
    }

    /// <summary>Range <paramref name="range"/>: its tensor and its elements [Start, End).</summary>
    public static (UpdateTensor Tensor, int Start, int End) Of(UpdateTensor[] tensors, int range)
    {
        foreach (UpdateTensor t in tensors)
        {
            int ranges = RangesOf(t);
            if (range < ranges)
            {
                int start = range * Elements;
                return (t, start, Math.Min(t.Values.Length, start + Elements));
            }

            range -= ranges;
        }

        throw new ArgumentOutOfRangeException(nameof(range), range, "The update has fewer ranges.");
    }

    private static int RangesOf(UpdateTensor t) => (t.Values.Length + Elements - 1) / Elements;
}
