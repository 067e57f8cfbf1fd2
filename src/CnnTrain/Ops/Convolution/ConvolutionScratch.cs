namespace CnnTrain.Ops;

/// <summary>
/// Scratch memory of the Multicore convolution paths, one set per thread, kept between calls: a step allocates
/// nothing once each worker has seen the largest geometry. Its contents are never assumed: every path writes
/// what it reads, except the padding columns of a product, whose lanes are computed and dropped.
/// </summary>
internal static class ConvolutionScratch
{
    [ThreadStatic]
    private static float[]? t_image;

    [ThreadStatic]
    private static float[]? t_gradientImage;

    [ThreadStatic]
    private static float[]? t_panel;

    [ThreadStatic]
    private static float[]? t_product;

    [ThreadStatic]
    private static float[]? t_gradient;

    [ThreadStatic]
    private static float[]? t_transposed;

    [ThreadStatic]
    private static float[]? t_weights;

    /// <summary>One sample's input image (ConvolutionPanels.InputImage).</summary>
    public static float[] Image(int length) => Rent(ref t_image, length);

    /// <summary>One sample's gradient image (ConvolutionPanels.GradientImage).</summary>
    public static float[] GradientImage(int length) => Rent(ref t_gradientImage, length);

    /// <summary>One sample's input patches, position-major.</summary>
    public static float[] Panel(int length) => Rent(ref t_panel, length);

    /// <summary>A product's result (or, before it, the masked gradient of a pooled block).</summary>
    public static float[] Product(int length) => Rent(ref t_product, length);

    /// <summary>One sample's gradient of the conv output (or its conv plane in the forward pass).</summary>
    public static float[] Gradient(int length) => Rent(ref t_gradient, length);

    /// <summary>The gradient of the conv output transposed, position-major.</summary>
    public static float[] Transposed(int length) => Rent(ref t_transposed, length);

    /// <summary>Weights packed once per call, by the calling thread, for the workers to read.</summary>
    public static float[] Weights(int length) => Rent(ref t_weights, length);

    private static float[] Rent(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length)
        {
            slot = new float[length];
        }

        return slot;
    }
}
