namespace CnnTrain.Tests.Persistence.Fuzzing;

/// <summary>One damaged file: the family it belongs to (for the tallies), what was done to which seed, and the bytes.</summary>
internal sealed record Mutant(string Kind, string What, byte[] File)
{
    public override string ToString() => $"{Kind}: {What} ({File.Length} bytes)";
}
