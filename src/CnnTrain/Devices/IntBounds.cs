namespace CnnTrain.Devices;

/// <summary>
/// What the host knows about the values of an int buffer: the range of everything uploaded or gathered into it
/// (a new buffer holds zeros), or that a kernel wrote values the host does not track. Operations that use the
/// values as indices (labels, gathered rows) <see cref="Require"/> a range before anything is queued, so a bad
/// index fails the same way on every device; the requirement stays with the buffer, and with the buffers it was
/// gathered from, so that a later upload cannot slip a bad value under a recorded program.
/// </summary>
internal sealed class IntBounds
{
    private readonly List<IntBounds> _sources = [];
    private int _min;
    private int _max;
    private bool _untracked;
    private int _limit = int.MaxValue;
    private string? _limitReason;

    /// <summary>Records values that an upload of <paramref name="values"/> puts in the buffer.</summary>
    public void Upload(ReadOnlySpan<int> values, string bufferName)
    {
        if (values.IsEmpty)
        {
            return;
        }

        int min = int.MaxValue, max = int.MinValue, maxAt = 0, minAt = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < min)
            {
                min = values[i];
                minAt = i;
            }

            if (values[i] > max)
            {
                max = values[i];
                maxAt = i;
            }
        }

        if (_limitReason is not null && (min < 0 || max >= _limit))
        {
            (int bad, int at) = min < 0 ? (min, minAt) : (max, maxAt);
            throw new ArgumentOutOfRangeException(
                bufferName, bad, $"Element {at} of the upload is {bad}; this buffer feeds {_limitReason}, which needs values in [0, {_limit}).");
        }

        Widen(min, max);
    }

    /// <summary>Records that a gather copies values of <paramref name="source"/> into the buffer.</summary>
    public void GatherFrom(IntBounds source)
    {
        if (source._untracked)
        {
            MarkUntracked();
        }
        else
        {
            Widen(source._min, source._max);
        }

        _sources.Add(source);
        if (_limitReason is not null)
        {
            source.Require(_limit, _limitReason, "gathered into it");
        }
    }

    /// <summary>Records that a kernel writes values into the buffer that the host does not know.</summary>
    public void MarkUntracked() => _untracked = true;

    /// <summary>
    /// Checks that every value the buffer can hold lies in [0, <paramref name="limit"/>), and keeps that requirement
    /// for later uploads and gathers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value lies outside the range; the message names it.</exception>
    /// <exception cref="ArgumentException">A kernel wrote the values, so they cannot be checked.</exception>
    public void Require(int limit, string user, string argumentName)
    {
        if (_untracked)
        {
            throw new ArgumentException($"{argumentName} holds values written by a kernel, which {user} cannot check; upload them from the host.", argumentName);
        }

        if (_min < 0 || _max >= limit)
        {
            int bad = _min < 0 ? _min : _max;
            throw new ArgumentOutOfRangeException(argumentName, bad, $"{argumentName} holds {bad}; {user} needs values in [0, {limit}).");
        }

        if (limit < _limit)
        {
            _limit = limit;
            _limitReason = user;
        }

        foreach (IntBounds source in _sources)
        {
            source.Require(limit, user, argumentName);
        }
    }

    private void Widen(int min, int max)
    {
        _min = Math.Min(_min, min);
        _max = Math.Max(_max, max);
    }
}
