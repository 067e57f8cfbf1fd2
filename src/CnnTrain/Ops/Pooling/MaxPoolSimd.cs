using CnnTrain.Devices.Cpu;

namespace CnnTrain.Ops;

/// <summary>
/// The standalone max pool on all cores: planes spread over the device's threads, each plane in the reference's
/// order (comparisons and one sum per position, so the split changes no bit); a plane's forward runs in vector
/// lanes (<see cref="MaxPoolLanes"/>) where it has a vector of outputs.
/// </summary>
internal static unsafe class MaxPoolSimd
{
    public static void Forward(CpuDevice cpu, in MaxPoolForward op)
    {
        Pool2DDescriptor d = op.Geometry;
        int plane = d.InputHeight * d.InputWidth;
        int poolPlane = d.OutputHeight * d.OutputWidth;
        fixed (float* px = CpuDevice.Span(op.Input), py = CpuDevice.Span(op.Output))
        fixed (int* pi = CpuDevice.Span(op.Indices))
        {
            var x = new RawSpan<float>(px, op.Input.Length);
            var y = new RawSpan<float>(py, op.Output.Length);
            var idx = new RawSpan<int>(pi, op.Indices.Length);
            bool lanes = MaxPoolLanes.Applies(d);
            cpu.For(op.Batch * d.Channels, i =>
            {
                if (lanes)
                {
                    MaxPoolLanes.ForwardPlane(d, x.Slice(i * plane, plane), y.Slice(i * poolPlane, poolPlane), idx.Slice(i * poolPlane, poolPlane));
                }
                else
                {
                    MaxPoolReference.ForwardPlane(d, x.Slice(i * plane, plane), y.Slice(i * poolPlane, poolPlane), idx.Slice(i * poolPlane, poolPlane));
                }
            });
        }
    }

    public static void Backward(CpuDevice cpu, in MaxPoolBackward op)
    {
        Pool2DDescriptor d = op.Geometry;
        int plane = d.InputHeight * d.InputWidth;
        int poolPlane = d.OutputHeight * d.OutputWidth;
        fixed (float* pdy = CpuDevice.Span(op.OutputGradient), pdx = CpuDevice.Span(op.InputGradient))
        fixed (int* pi = CpuDevice.Span(op.Indices))
        {
            var dy = new RawSpan<float>(pdy, op.OutputGradient.Length);
            var dx = new RawSpan<float>(pdx, op.InputGradient.Length);
            var idx = new RawSpan<int>(pi, op.Indices.Length);
            cpu.For(op.Batch * d.Channels, i => MaxPoolReference.BackwardPlane(
                d, dy.Slice(i * poolPlane, poolPlane), idx.Slice(i * poolPlane, poolPlane), dx.Slice(i * plane, plane)));
        }
    }
}
