using CnnTrain.Devices.Cuda;

namespace CnnTrain.Ops;

/// <summary>The row gather on the GPU (kernels/memory.cu): a thread per element.</summary>
internal static class GatherCuda
{
    private static readonly CudaKernelName Rows32 = new("memory", "gather_rows32");

    public static void Run<T>(CudaDevice cuda, in Gather<T> op)
        where T : unmanaged
    {
        long total = (long)op.Rows.Length * op.RowLength;
        if (total == 0)
        {
            return;
        }

        var args = cuda.Arguments();
        args.Add((long)op.Rows.Length);
        args.Add(op.RowLength);
        args.Add(CudaDevice.Address(op.Source));
        args.Add(CudaDevice.Address(op.Rows));
        args.Add(CudaDevice.Address(op.Destination));
        cuda.Launch(Rows32, LaunchShape.Blocks(total), LaunchShape.Block, ref args);
    }
}
