namespace CnnTrain.Mnist.Prediction;

/// <summary>An 8-bit grayscale image, row-major.</summary>
internal sealed record GrayImage(int Width, int Height, byte[] Pixels);
