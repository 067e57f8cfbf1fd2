namespace CnnTrain;

/// <summary>How <see cref="Network.Initialize"/> draws weights. Biases always start at zero.</summary>
public enum Initialization
{
    /// <summary>He (Kaiming) normal: N(0, 2 / fan-in), the modern default for ReLU networks.</summary>
    He = 0,

    /// <summary>The original study's scheme: standard normal times 0.1 for every weight.</summary>
    Study = 1,
}
