using System.Runtime.Intrinsics;
using CnnTrain.Devices.Cpu;
using CnnTrain.Ops;

namespace CnnTrain.Optimizers;

/// <summary>SGD on all cores (<see cref="SimdUpdate"/>), the reference's order per lane.</summary>
internal static unsafe class SgdSimd
{
    public static void Run(CpuDevice cpu, in SgdUpdate op)
    {
        if (!StepGuard.Allows(op.Guard))
        {
            return;
        }

        SimdUpdate.Run(cpu, op.Tensors, new Rule(op.Settings, CpuDevice.Span(op.LearningRate)[0]));
    }

    private readonly struct Rule(Sgd sgd, float rate) : ISimdRule
    {
        private readonly Vector256<float> _mu = Vector256.Create(sgd.Momentum);
        private readonly Vector256<float> _lambda = Vector256.Create(sgd.WeightDecay);
        private readonly Vector256<float> _eta = Vector256.Create(-rate);

        public void Apply(Vector256<float> g, float* values, float* velocity, float* unused, int i)
        {
            Vector256<float> w = Vector256.Load(values + i);
            if (sgd.WeightDecay != 0f)
            {
                g = Vector256.FusedMultiplyAdd(_lambda, w, g);
            }

            Vector256<float> v = Vector256.FusedMultiplyAdd(_mu, Vector256.Load(velocity + i), g);
            Vector256.Store(v, velocity + i);
            Vector256<float> step = sgd.Nesterov ? Vector256.FusedMultiplyAdd(_mu, v, g) : v;
            Vector256.Store(Vector256.FusedMultiplyAdd(_eta, step, w), values + i);
        }

        public void Tail(in UpdateTensor t, int start, int end, Span<float> tree) => SgdReference.UpdateRange(
            CpuDevice.Span(t.Values), CpuDevice.Span(t.Gradient), t.Partials, CpuDevice.Span(t.State[0]), start, end, rate, sgd, tree);
    }
}
