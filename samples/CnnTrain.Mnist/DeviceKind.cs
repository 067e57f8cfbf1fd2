namespace CnnTrain.Mnist;

/// <summary>The devices the app can be asked for with <c>--device</c>.</summary>
internal enum DeviceKind
{
    Sequential,
    Multicore,
    Cuda,
}
