using ScottPlot;

namespace CnnTrain.Mnist.Charts;

/// <summary>One line of a chart: a value per epoch (epoch 1 first); NaN or infinite values leave a gap.</summary>
internal sealed record ChartSeries(string Name, Color Color, IReadOnlyList<double> Values);
