namespace CnnTrain.Ops;

/// <summary>An elementwise activation that a device applies after a convolution or a dense product.</summary>
internal enum Activation
{
    /// <summary>No activation: the output is the affine result.</summary>
    None = 0,

    /// <summary>Rectified linear unit: <c>z &gt; 0 ? z : +0</c>; its derivative is 1 where the output is positive, else 0.</summary>
    Relu = 1,
}
