using CnnTrain.Devices;

namespace CnnTrain.Execution;

/// <summary>
/// What a network's stages are built for: the device, the largest batch, and whether they train — then each
/// parameter also gets its gradient and <see cref="StateTensors"/> buffers of optimizer state — or only infer.
/// </summary>
internal sealed record StageContext(IComputeDevice Device, int MaxBatch, bool Training, int StateTensors);
