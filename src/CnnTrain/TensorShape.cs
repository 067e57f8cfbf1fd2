using System.Collections.Immutable;

namespace CnnTrain;

/// <summary>
/// The shape of one sample's tensor, without the batch dimension: (channels, height, width) for images,
/// (length) for flat vectors. Layout is row-major (NCHW once the batch is added).
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    private readonly ImmutableArray<int> _dimensions;

    /// <summary>Creates a shape from its dimensions, outermost first.</summary>
    /// <param name="dimensions">One to three positive extents.</param>
    /// <exception cref="ArgumentException">No dimensions, more than three, or a dimension that is not positive.</exception>
    public TensorShape(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is < 1 or > 3)
        {
            throw new ArgumentException($"A sample shape has 1 to 3 dimensions, not {dimensions.Length}.", nameof(dimensions));
        }

        long size = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] <= 0)
            {
                throw new ArgumentException($"Dimension {i} is {dimensions[i]}; every dimension must be positive.", nameof(dimensions));
            }

            // Checked after every factor: three int extents can pass even a long (2^21 x 2^21 x 2^22 wraps to 0).
            size *= dimensions[i];
            if (size > int.MaxValue)
            {
                throw new ArgumentException(
                    $"A sample of shape ({string.Join(", ", dimensions)}) has more than {int.MaxValue} elements.", nameof(dimensions));
            }
        }

        _dimensions = [.. dimensions];
    }

    /// <summary>The image shape (channels, height, width).</summary>
    public static TensorShape Image(int channels, int height, int width) => new(channels, height, width);

    /// <summary>A flat vector of the given length.</summary>
    public static TensorShape Vector(int length) => new(length);

    /// <summary>The number of dimensions (1 for a vector, 3 for an image).</summary>
    public int Rank => _dimensions.IsDefault ? 0 : _dimensions.Length;

    /// <summary>The extent of dimension <paramref name="index"/>.</summary>
    public int this[int index] => _dimensions[index];

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dimensions => _dimensions.IsDefault ? [] : _dimensions;

    /// <summary>The number of elements in one sample.</summary>
    public int Size
    {
        get
        {
            if (_dimensions.IsDefault)
            {
                return 0;
            }

            long size = 1;
            foreach (int d in _dimensions)
            {
                size *= d;
            }

            // The constructor refused every shape of more than int.MaxValue elements.
            return (int)size;
        }
    }

    /// <summary>Channels of an image shape (rank 3).</summary>
    public int Channels => RequireImage()[0];

    /// <summary>Height of an image shape (rank 3).</summary>
    public int Height => RequireImage()[1];

    /// <summary>Width of an image shape (rank 3).</summary>
    public int Width => RequireImage()[2];

    /// <inheritdoc />
    public bool Equals(TensorShape other) => Dimensions.SequenceEqual(other.Dimensions);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dimensions)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);

    /// <summary>The shape as "(1, 28, 28)".</summary>
    public override string ToString() => $"({string.Join(", ", Dimensions)})";

    private ImmutableArray<int> RequireImage() =>
        Rank == 3 ? _dimensions : throw new InvalidOperationException($"Shape {this} is not an image shape (channels, height, width).");
}
