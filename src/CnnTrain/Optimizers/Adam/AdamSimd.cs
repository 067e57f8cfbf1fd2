using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>Adam and AdamW on all cores (<see cref="SimdUpdate"/>), the reference's order per lane.</summary>
internal static unsafe class AdamSimd
{
    public static void Run(CpuDevice cpu, in AdamUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        ReadOnlySpan<float> scalars = CpuDevice.Span(op.StepScalars);
        SimdUpdate.Run(cpu, op.Tensors, new Rule(op.Rule, scalars[0], scalars[1], op.Rule.Decoupled ? scalars[2] : 1f));
    }

    /// <summary>The rule with this step's a, s and k (1 for Adam), read once when the update runs.</summary>
    private readonly struct Rule(AdamRule rule, float a, float s, float k) : ISimdRule
    {
        private readonly Vector256<float> _beta1 = Vector256.Create(rule.Beta1);
        private readonly Vector256<float> _beta2 = Vector256.Create(rule.Beta2);
        private readonly Vector256<float> _oneMinusBeta1 = Vector256.Create(rule.OneMinusBeta1);
        private readonly Vector256<float> _oneMinusBeta2 = Vector256.Create(rule.OneMinusBeta2);
        private readonly Vector256<float> _epsilon = Vector256.Create(rule.Epsilon);
        private readonly Vector256<float> _l2 = Vector256.Create(rule.L2);
        private readonly Vector256<float> _minusA = Vector256.Create(-a);
        private readonly Vector256<float> _s = Vector256.Create(s);
        private readonly Vector256<float> _k = Vector256.Create(k);

        public void Apply(Vector256<float> g, float* values, float* firstMoment, float* secondMoment, int i)
        {
            Vector256<float> w = Vector256.Load(values + i);
            if (rule.L2 != 0f)
            {
                g = Vector256.FusedMultiplyAdd(_l2, w, g);
            }

            if (rule.Decoupled)
            {
                w *= _k;
            }

            Vector256<float> m = Vector256.FusedMultiplyAdd(_beta1, Vector256.Load(firstMoment + i), _oneMinusBeta1 * g);
            Vector256<float> v = Vector256.FusedMultiplyAdd(_beta2, Vector256.Load(secondMoment + i), _oneMinusBeta2 * (g * g));
            Vector256.Store(m, firstMoment + i);
            Vector256.Store(v, secondMoment + i);
            Vector256<float> d = Vector256.FusedMultiplyAdd(Vector256.Sqrt(v), _s, _epsilon);
            Vector256.Store(Vector256.FusedMultiplyAdd(_minusA, m / d, w), values + i);
        }

        public void Tail(in UpdateTensor t, int start, int end, Span<float> tree)
        {
            ReadOnlySpan<float> scalars = [a, s, k];
            AdamReference.UpdateRange(
                CpuDevice.Span(t.Values), CpuDevice.Span(t.Gradient), t.Partials, CpuDevice.Span(t.State[0]), CpuDevice.Span(t.State[1]),
                start, end, scalars, rule, tree);
        }
    }
}
