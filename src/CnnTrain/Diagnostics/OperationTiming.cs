namespace CnnTrain.Diagnostics;

/// <summary>The time one operation of a training step takes on a device.</summary>
/// <param name="Operation">What runs, e.g. "Conv2D(32, 3x3, stride 1, padding 0) + ReLU: backward".</param>
/// <param name="Microseconds">Device time per execution, the best of several timed batches of repeats.</param>
/// <param name="Repeats">How many executions each timed batch held.</param>
public sealed record OperationTiming(string Operation, double Microseconds, int Repeats);
