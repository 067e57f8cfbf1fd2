namespace CnnTrain.Tests.Persistence.Fuzzing;

/// <summary>What a payload field holds, which decides the values a mutant writes over it.</summary>
internal enum FieldKind
{
    /// <summary>A u8 code: a rank, a layer kind, a schedule kind, a metric.</summary>
    Code,

    /// <summary>A u8 that is 0 or 1.</summary>
    Flag,

    /// <summary>An i32 setting, dimension or counter.</summary>
    Int32,

    /// <summary>The i32 count in front of a text or a float array.</summary>
    Count,

    /// <summary>An i64 counter.</summary>
    Int64,

    /// <summary>An f32 setting (a learning rate, a momentum).</summary>
    Single,

    /// <summary>An f64 setting or metric.</summary>
    Double,

    /// <summary>One byte of a text's UTF-8.</summary>
    TextByte,

    /// <summary>One f32 of a float array (a weight, an optimizer state value).</summary>
    Value,
}

/// <summary>One field of a payload: where it starts, what it holds, and its name in docs/file-format.md's terms.</summary>
internal readonly record struct Field(int Offset, FieldKind Kind, string Name)
{
    public int Width => Kind switch
    {
        FieldKind.Code or FieldKind.Flag or FieldKind.TextByte => 1,
        FieldKind.Int64 or FieldKind.Double => 8,
        _ => 4,
    };

    public int End => Offset + Width;

    public override string ToString() => $"{Name} ({Kind} at {Offset})";
}
