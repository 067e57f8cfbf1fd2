using CnnTrain.Devices;
using CnnTrain.Devices.Sequential;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

[TestFixture]
public sealed class SequentialDeviceTests : DeviceContract
{
    protected override IComputeDevice CreateDevice() => new SequentialDevice();
}
