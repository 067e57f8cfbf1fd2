namespace CnnTrain.Optimizers;

/// <summary>
/// What Adam and AdamW share: the moment decays, ε, and how weight decay enters — as an L2 term in the gradient
/// (<see cref="Adam"/>) or decoupled, shrinking the weights before each step (<see cref="AdamW"/>) — and the
/// per-step scalars the host computes (docs/numerics.md, "Adam and AdamW").
/// </summary>
internal sealed record AdamRule(float Beta1, float Beta2, float Epsilon, float WeightDecay, bool Decoupled)
{
    /// <summary>1 − β1 in double, rounded to float once.</summary>
    public float OneMinusBeta1 { get; } = (float)(1.0 - Beta1);

    /// <summary>1 − β2 in double, rounded to float once.</summary>
    public float OneMinusBeta2 { get; } = (float)(1.0 - Beta2);

    /// <summary>The L2 coefficient added to the gradient: Adam's weight decay, 0 for AdamW.</summary>
    public float L2 => Decoupled ? 0f : WeightDecay;

    /// <summary>η/(1 − β1^t), 1/√(1 − β2^t) and, when decoupled, 1 − ηλ.</summary>
    public int StepScalars => Decoupled ? 3 : 2;

    /// <summary>
    /// The scalars of steps t = <paramref name="firstStep"/> + 1, + 2, ... in double, each rounded to float once.
    /// β^t is the product of t factors β multiplied left to right, so it never depends on a platform's pow.
    /// </summary>
    public void FillStepScalars(ReadOnlySpan<float> learningRates, long firstStep, Span<float> destination)
    {
        double power1 = 1, power2 = 1;
        // The powers reach a fixed point (0, or the smallest subnormal for some β) and stay there, so a long (or
        // forged) step count stops costing time once they do.
        for (long t = 0; t < firstStep; t++)
        {
            double next1 = power1 * Beta1, next2 = power2 * Beta2;
            if (next1 == power1 && next2 == power2)
            {
                break;
            }

            power1 = next1;
            power2 = next2;
        }

        int count = StepScalars;
        for (int s = 0; s < learningRates.Length; s++)
        {
            power1 *= Beta1;
            power2 *= Beta2;
            double rate = learningRates[s];
            destination[s * count] = (float)(rate / (1 - power1));
            destination[(s * count) + 1] = (float)(1 / Math.Sqrt(1 - power2));
            if (Decoupled)
            {
                destination[(s * count) + 2] = (float)(1 - (rate * WeightDecay));
            }
        }
    }
}
