using CnnTrain.Devices;
using CnnTrain.Layers;

namespace CnnTrain.Execution;

/// <summary>
/// Turns a network's layers into device stages. Fusions are exact (ReLU, pooling and flattening do no
/// rounding), so a fused plan gives the same bits as layer-by-layer execution while saving launches:
/// Conv2D [+ ReLU] [+ MaxPool2D] is one stage, Dense [+ ReLU] is one stage, and Flatten is a free view.
/// </summary>
internal static class ExecutionPlan
{
    public static List<Stage> CreateStages(IReadOnlyList<Layer> layers, IComputeDevice device, int maxBatch)
    {
        var stages = new List<Stage>();
        try
        {
            for (int i = 0; i < layers.Count; i++)
            {
                int first = i;
                int planned = stages.Count;
                switch (layers[i])
                {
                    case Conv2D conv:
                        Activation convActivation = TakeRelu(layers, ref i);
                        MaxPool2D? pool = i + 1 < layers.Count && layers[i + 1] is MaxPool2D p ? p : null;
                        if (pool is not null)
                        {
                            i++;
                        }

                        stages.Add(new ConvolutionStage(device, maxBatch, conv, convActivation, pool));
                        break;
                    case Dense dense:
                        stages.Add(new DenseStage(device, maxBatch, dense, TakeRelu(layers, ref i)));
                        break;
                    case ReLU relu:
                        stages.Add(new ReluStage(device, relu.InputShape.Size));
                        break;
                    case MaxPool2D pool2D:
                        stages.Add(new PoolStage(device, maxBatch, pool2D.Describe()));
                        break;
                    case Flatten:
                        break;
                    default:
                        throw new NotSupportedException($"No device stage exists for layer kind {layers[i].Kind}.");
                }

                if (stages.Count > planned)
                {
                    stages[^1].Name = string.Join(" + ", layers.Skip(first).Take(i - first + 1));
                }
            }

            return stages;
        }
        catch
        {
            foreach (Stage s in stages)
            {
                s.Dispose();
            }

            throw;
        }
    }

    private static Activation TakeRelu(IReadOnlyList<Layer> layers, ref int i)
    {
        if (i + 1 < layers.Count && layers[i + 1] is ReLU)
        {
            i++;
            return Activation.Relu;
        }

        return Activation.None;
    }
}
