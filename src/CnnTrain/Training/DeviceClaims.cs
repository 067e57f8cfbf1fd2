using System.Runtime.CompilerServices;
using CnnTrain.Devices;

namespace CnnTrain.Training;

/// <summary>
/// Which trainer is running work on a device right now. A device queues from one thread at a time, so a second trainer
/// that starts on a device while another one's Fit or Evaluate runs gets a clear error instead of mixing work with it.
/// </summary>
internal static class DeviceClaims
{
    private static readonly ConditionalWeakTable<IComputeDevice, Holder> Holders = [];

    /// <summary>Claims <paramref name="device"/> for <paramref name="trainer"/> until the result is disposed.</summary>
    /// <exception cref="InvalidOperationException">Another trainer is running work on the device.</exception>
    public static Claim Acquire(IComputeDevice device, Trainer trainer)
    {
        Holder holder = Holders.GetOrCreateValue(device);
        lock (holder)
        {
            if (holder.Trainer is not null && !ReferenceEquals(holder.Trainer, trainer))
            {
                throw new InvalidOperationException(
                    $"Device '{device.Name}' is running another trainer's work; a device runs one trainer's Fit or Evaluate at a time.");
            }

            holder.Trainer = trainer;
            holder.Depth++;
        }

        return new Claim(holder);
    }

    internal sealed class Holder
    {
        public Trainer? Trainer { get; set; }

        public int Depth { get; set; }
    }

    /// <summary>Releases the claim when disposed.</summary>
    internal readonly struct Claim : IDisposable
    {
        private readonly Holder _holder;

        internal Claim(Holder holder) => _holder = holder;

        public void Dispose()
        {
            lock (_holder)
            {
                if (--_holder.Depth == 0)
                {
                    _holder.Trainer = null;
                }
            }
        }
    }
}
