namespace CnnTrain.Devices;

/// <summary>
/// A point in a device's queue of work: it is reached when everything queued before it has finished.
/// Lets a host follow progress without stalling the device.
/// </summary>
public interface IDeviceMarker : IDisposable
{
    /// <summary>Whether all work queued before the marker has finished.</summary>
    bool IsReached { get; }

    /// <summary>Blocks until the marker is reached.</summary>
    void Wait();
}
