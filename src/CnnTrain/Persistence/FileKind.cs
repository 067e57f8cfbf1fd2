namespace CnnTrain.Persistence;

/// <summary>What a CnnTrain file holds (its header's kind byte; docs/file-format.md).</summary>
internal enum FileKind : byte
{
    /// <summary>A network: architecture and parameters.</summary>
    Model = 1,

    /// <summary>A network plus the trainer's state, to resume training.</summary>
    Checkpoint = 2,
}
