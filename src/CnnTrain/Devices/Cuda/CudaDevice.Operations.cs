using System.Runtime.CompilerServices;
using CnnTrain.Devices.Cuda.Interop;
using CnnTrain.Devices.Cuda.Kernels;

namespace CnnTrain.Devices.Cuda;

public sealed partial class CudaDevice
{
    private const int ArgumentBytes = 512;
    private const int ArgumentSlots = 16;

    /// <inheritdoc />
    public void Gather<T>(DeviceSlice<T> source, int rowLength, DeviceSlice<int> rows, DeviceSlice<T> destination)
        where T : unmanaged
    {
        Enter();
        DeviceChecks.Gather(this, source, rowLength, rows, destination);
        if (Unsafe.SizeOf<T>() != 4)
        {
            throw new NotSupportedException($"The CUDA device gathers 4-byte elements; {typeof(T).Name} has {Unsafe.SizeOf<T>()}.");
        }

        long total = (long)rows.Length * rowLength;
        if (total == 0)
        {
            return;
        }

        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add((long)rows.Length);
        args.Add(rowLength);
        args.Add(Address(source));
        args.Add(Address(rows));
        args.Add(Address(destination));
        Launch(_kernels.GatherRows32, LaunchShape.Blocks(total), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void Convolution2DForward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output, DeviceSlice<int> poolIndices)
    {
        Enter();
        DeviceChecks.Convolution2DForward(this, descriptor, batch, input, weights, bias, output, poolIndices);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add(new CudaConvolutionGeometry(descriptor, batch));
        args.Add(Address(input));
        args.Add(Address(weights));
        args.Add(Address(bias));
        args.Add(Address(output));
        args.Add(Address(poolIndices));
        if (ConvolutionKernels.PooledStudyPlan(descriptor, batch) is (uint blocks, uint threads, int sharedBytes))
        {
            Launch(_kernels.Convolution2DForwardPooled3x3, (blocks, 1, 1), (threads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            CudaKernel kernel = descriptor.KernelSize == 3 ? _kernels.Convolution2DForward3x3 : _kernels.Convolution2DForward;
            Launch(kernel, LaunchShape.Blocks(output.Length), LaunchShape.Block, ref args);
        }
    }

    /// <inheritdoc />
    public void Convolution2DBackward(
        in Convolution2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<int> poolIndices, DeviceSlice<float> outputGradient,
        DeviceSlice<float> weightPartials, DeviceSlice<float> biasPartials, DeviceSlice<float> inputGradient)
    {
        Enter();
        DeviceChecks.Convolution2DBackward(
            this, descriptor, batch, input, weights, output, poolIndices, outputGradient, weightPartials, biasPartials, inputGradient);
        var geometry = new CudaConvolutionGeometry(descriptor, batch);

        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add(geometry);
        args.Add(Address(input));
        args.Add(Address(output));
        args.Add(Address(poolIndices));
        args.Add(Address(outputGradient));
        args.Add(Address(weightPartials));
        args.Add(Address(biasPartials));
        if (ConvolutionKernels.WinnersPlan(descriptor) is (int group, int threads, int sharedBytes))
        {
            args.Add(group);
            uint groups = (uint)((descriptor.Filters + group - 1) / group);
            Launch(_kernels.Convolution2DBackwardFilterWinners, ((uint)batch * groups, 1, 1), ((uint)threads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            (int slotGroup, int slotThreads, uint chainBlocks) = ConvolutionKernels.SlotPlan(descriptor);
            args.Add(slotGroup);
            uint groups = (uint)((descriptor.Filters + slotGroup - 1) / slotGroup);
            Launch(_kernels.Convolution2DBackwardFilter, ((uint)batch * groups, chainBlocks, 1), ((uint)slotThreads, 1, 1), ref args);
        }

        if (!inputGradient.IsEmpty)
        {
            var data = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
            data.Add(geometry);
            data.Add(Address(weights));
            data.Add(Address(output));
            data.Add(Address(poolIndices));
            data.Add(Address(outputGradient));
            data.Add(Address(inputGradient));
            Launch(_kernels.Convolution2DBackwardData, LaunchShape.Blocks(inputGradient.Length), LaunchShape.Block, ref data);
        }
    }

    /// <inheritdoc />
    public void ReluForward(DeviceSlice<float> input, DeviceSlice<float> output)
    {
        Enter();
        DeviceChecks.Owned(this, input, nameof(input));
        DeviceChecks.Slice(this, output, input.Length, nameof(output));
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add((long)input.Length);
        args.Add(Address(input));
        args.Add(Address(output));
        Launch(_kernels.ReluForward, LaunchShape.Blocks(input.Length), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void ReluBackward(DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> inputGradient)
    {
        Enter();
        DeviceChecks.Elementwise(this, output, outputGradient, nameof(outputGradient), inputGradient, nameof(inputGradient));
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add((long)output.Length);
        args.Add(Address(output));
        args.Add(Address(outputGradient));
        args.Add(Address(inputGradient));
        Launch(_kernels.ReluBackward, LaunchShape.Blocks(output.Length), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void MaxPool2DForward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> output, DeviceSlice<int> indices)
    {
        Enter();
        DeviceChecks.MaxPool2D(this, descriptor, batch, input, nameof(input), output, nameof(output), indices);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        AddPoolGeometry(ref args, descriptor, batch);
        args.Add(Address(input));
        args.Add(Address(output));
        args.Add(Address(indices));
        Launch(_kernels.MaxPool2DForward, LaunchShape.Blocks(output.Length), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void MaxPool2DBackward(in Pool2DDescriptor descriptor, int batch, DeviceSlice<float> outputGradient, DeviceSlice<int> indices, DeviceSlice<float> inputGradient)
    {
        Enter();
        DeviceChecks.MaxPool2D(this, descriptor, batch, inputGradient, nameof(inputGradient), outputGradient, nameof(outputGradient), indices);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        AddPoolGeometry(ref args, descriptor, batch);
        args.Add(Address(outputGradient));
        args.Add(Address(indices));
        args.Add(Address(inputGradient));
        Launch(_kernels.MaxPool2DBackward, LaunchShape.Blocks(inputGradient.Length), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void DenseForward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> bias, DeviceSlice<float> output)
    {
        Enter();
        DeviceChecks.DenseForward(this, descriptor, batch, input, weights, bias, output);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        AddDenseGeometry(ref args, descriptor, batch);
        args.Add(Address(input));
        args.Add(Address(weights));
        args.Add(Address(bias));
        args.Add(Address(output));

        // A warp per output element.
        Launch(_kernels.DenseForward, LaunchShape.Blocks((long)output.Length * 32), LaunchShape.Block, ref args);
    }

    /// <inheritdoc />
    public void DenseBackward(
        in DenseDescriptor descriptor, int batch, DeviceSlice<float> input, DeviceSlice<float> weights,
        DeviceSlice<float> output, DeviceSlice<float> outputGradient, DeviceSlice<float> weightGradient,
        DeviceSlice<float> biasGradient, DeviceSlice<float> inputGradient)
    {
        Enter();
        DeviceChecks.DenseBackward(this, descriptor, batch, input, weights, output, outputGradient, weightGradient, biasGradient, inputGradient);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        AddDenseGeometry(ref args, descriptor, batch);
        args.Add(Address(input));
        args.Add(Address(weights));
        args.Add(Address(output));
        args.Add(Address(outputGradient));
        args.Add(Address(weightGradient));
        args.Add(Address(biasGradient));
        args.Add(Address(inputGradient));
        if (DenseKernels.BackwardPlan(descriptor, batch) is (uint blocks, uint blockThreads, int sharedBytes))
        {
            Launch(_kernels.DenseBackwardSmall, (blocks, 1, 1), (blockThreads, 1, 1), ref args, (uint)sharedBytes);
        }
        else
        {
            long threads = (long)weightGradient.Length + biasGradient.Length + inputGradient.Length;
            Launch(_kernels.DenseBackward, LaunchShape.Blocks(threads), LaunchShape.Block, ref args);
        }
    }

    /// <inheritdoc />
    public void SoftmaxCrossEntropy(
        int batch, int classes, DeviceSlice<float> logits, DeviceSlice<int> labels, DeviceSlice<float> losses,
        DeviceSlice<int> predictions, DeviceSlice<float> logitGradient)
    {
        Enter();
        DeviceChecks.SoftmaxCrossEntropy(this, batch, classes, logits, labels, losses, predictions, logitGradient);
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add(batch);
        args.Add(classes);
        args.Add(Address(logits));
        args.Add(Address(labels));
        args.Add(Address(losses));
        args.Add(Address(predictions));
        args.Add(Address(logitGradient));
        if (classes <= 32)
        {
            // A warp per sample, a lane per class.
            Launch(_kernels.SoftmaxCrossEntropyWarp, LaunchShape.Blocks(32L * batch), LaunchShape.Block, ref args);
        }
        else
        {
            Launch(_kernels.SoftmaxCrossEntropy, LaunchShape.Blocks(batch), LaunchShape.Block, ref args);
        }
    }

    /// <inheritdoc />
    public void SgdUpdate(ReadOnlySpan<SgdTensor> tensors, DeviceSlice<float> learningRate, float momentum, float weightDecay)
    {
        Enter();
        DeviceChecks.SgdUpdate(this, tensors, learningRate, momentum, weightDecay);
        Span<byte> values = stackalloc byte[ArgumentBytes];
        Span<nint> slots = stackalloc nint[ArgumentSlots];
        for (int first = 0; first < tensors.Length; first += CudaSgdBatch.MaxTensors)
        {
            ReadOnlySpan<SgdTensor> group = tensors.Slice(first, Math.Min(CudaSgdBatch.MaxTensors, tensors.Length - first));
            var batch = new CudaSgdBatch { Count = group.Length, Momentum = momentum, WeightDecay = weightDecay };
            long blocks = 0;
            for (int i = 0; i < group.Length; i++)
            {
                batch.Start[i] = blocks;
                batch.Tensors[i] = new CudaSgdBatch.Tensor
                {
                    Values = Address(group[i].Values),
                    Gradient = Address(group[i].Gradient),
                    Velocity = Address(group[i].Velocity),
                    Length = group[i].Values.Length,
                    PartialCount = group[i].PartialCount,
                };
                blocks += CudaSgdBatch.BlocksFor(group[i].Values.Length, group[i].PartialCount);
            }

            batch.Start[group.Length] = blocks;
            if (blocks == 0)
            {
                continue;
            }

            var args = new KernelArguments(values, slots);
            args.Add(batch);
            args.Add(Address(learningRate));
            Launch(_kernels.SgdUpdate, ((uint)blocks, 1, 1), (CudaSgdBatch.Threads, 1, 1), ref args);
        }
    }

    /// <summary>Evaluates the kernels' exp and log on <paramref name="input"/> (for tests of the shared math).</summary>
    internal void DeterministicMathProbe(DeviceSlice<float> input, DeviceSlice<float> exp, DeviceSlice<float> log)
    {
        Enter();
        DeviceChecks.Owned(this, input, nameof(input));
        DeviceChecks.Slice(this, exp, input.Length, nameof(exp));
        DeviceChecks.Slice(this, log, input.Length, nameof(log));
        var args = new KernelArguments(stackalloc byte[ArgumentBytes], stackalloc nint[ArgumentSlots]);
        args.Add((long)input.Length);
        args.Add(Address(input));
        args.Add(Address(exp));
        args.Add(Address(log));
        Launch(_kernels.DeterministicMathProbe, LaunchShape.Blocks(input.Length), LaunchShape.Block, ref args);
    }

    private static void AddPoolGeometry(ref KernelArguments args, in Pool2DDescriptor d, int batch)
    {
        args.Add(batch * d.Channels);
        args.Add(d.InputHeight);
        args.Add(d.InputWidth);
        args.Add(d.Size);
        args.Add(d.Stride);
        args.Add(d.OutputHeight);
        args.Add(d.OutputWidth);
    }

    private static void AddDenseGeometry(ref KernelArguments args, in DenseDescriptor d, int batch)
    {
        args.Add(batch);
        args.Add(d.Inputs);
        args.Add(d.Outputs);
        args.Add(d.Activation == Activation.Relu ? 1 : 0);
    }

    private void Launch(
        CudaKernel kernel, (uint X, uint Y, uint Z) grid, (uint X, uint Y, uint Z) block, scoped ref KernelArguments args, uint sharedBytes = 0)
    {
        kernel.Launch(_stream, grid, block, sharedBytes, ref args);
        Counted();
    }
}
