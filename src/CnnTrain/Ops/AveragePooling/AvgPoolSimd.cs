using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The average pool on all cores: planes spread over the device's threads, each in the reference's order; a
/// plane's forward runs in vector lanes (<see cref="AvgPoolLanes"/>) where it has a vector of outputs.
/// </summary>
internal static unsafe class AvgPoolSimd
{
    public static void Forward(CpuDevice cpu, in AvgPoolForward op)
    {
        AvgPool2DDescriptor d = op.Geometry;
        int plane = d.InputHeight * d.InputWidth, poolPlane = d.OutputHeight * d.OutputWidth;
        fixed (float* px = CpuDevice.Span(op.Input), py = CpuDevice.Span(op.Output))
        {
            var x = new RawSpan<float>(px, op.Input.Length);
            var y = new RawSpan<float>(py, op.Output.Length);
            bool lanes = AvgPoolLanes.Applies(d);
            cpu.For(op.Batch * d.Channels, i =>
            {
                if (lanes)
                {
                    AvgPoolLanes.ForwardPlane(d, x.Slice(i * plane, plane), y.Slice(i * poolPlane, poolPlane));
                }
                else
                {
                    AvgPoolReference.ForwardPlane(d, x.Slice(i * plane, plane), y.Slice(i * poolPlane, poolPlane));
                }
            });
        }
    }

    public static void Backward(CpuDevice cpu, in AvgPoolBackward op)
    {
        AvgPool2DDescriptor d = op.Geometry;
        int plane = d.InputHeight * d.InputWidth, poolPlane = d.OutputHeight * d.OutputWidth;
        fixed (float* pdy = CpuDevice.Span(op.OutputGradient), pdx = CpuDevice.Span(op.InputGradient))
        {
            var dy = new RawSpan<float>(pdy, op.OutputGradient.Length);
            var dx = new RawSpan<float>(pdx, op.InputGradient.Length);
            cpu.For(op.Batch * d.Channels, i => AvgPoolReference.BackwardPlane(d, dy.Slice(i * poolPlane, poolPlane), dx.Slice(i * plane, plane)));
        }
    }
}
