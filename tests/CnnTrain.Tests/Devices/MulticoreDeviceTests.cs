using CnnTrain.Devices;
using CnnTrain.Devices.Multicore;
using NUnit.Framework;

namespace CnnTrain.Tests.Devices;

[TestFixture(1)]
[TestFixture(2)]
[TestFixture(3)]
[TestFixture(7)]
public sealed class MulticoreDeviceTests(int threads) : DeviceContract
{
    protected override IComputeDevice CreateDevice() => new MulticoreDevice(threads);
}
