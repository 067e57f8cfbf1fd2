namespace CnnTrain.Mnist;

/// <summary>What the command line asks for: the usage text, or a run with <see cref="Options"/>.</summary>
internal sealed record ParsedArguments(bool HelpRequested, Options Options);
