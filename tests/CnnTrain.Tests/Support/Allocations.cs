namespace CnnTrain.Tests.Support;

/// <summary>Managed bytes that code allocates on the calling thread.</summary>
public static class Allocations
{
    public static long Measure(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
