using CnnTrain.Data;

namespace CnnTrain.Training;

/// <summary>The validation set of a Fit call: given, or split from the training set with the trainer's seed.</summary>
public sealed partial class Trainer
{
    // The last split, kept so that one Fit call per epoch splits (and uploads) the training set once.
    private (Dataset Source, Dataset Train, Dataset Validation)? _split;

    private (Dataset Train, Dataset? Validation) TrainAndValidation(TrainingSets sets)
    {
        Dataset train = sets.Train ?? throw new ArgumentNullException(nameof(sets), "The training set is null.");
        CheckFits(train, nameof(train));
        if (sets.Validation is { } validation)
        {
            if (Options.ValidationFraction > 0)
            {
                throw new ArgumentException(
                    $"A validation set is given and {nameof(TrainerOptions.ValidationFraction)} is {Options.ValidationFraction}; use one or the other.", nameof(sets));
            }

            CheckFits(validation, nameof(validation));
            return (train, validation);
        }

        if (Options.ValidationFraction == 0)
        {
            return (train, null);
        }

        if (_split is not { } split || !ReferenceEquals(split.Source, train))
        {
            (Dataset kept, Dataset held) = train.Split(Options.ValidationFraction, Options.Seed);
            split = (train, kept, held);
            _split = split;
        }

        return (split.Train, split.Validation);
    }
}
