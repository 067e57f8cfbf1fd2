namespace CnnTrain.Layers;

/// <summary>
/// What a layer would be at one place in a network, worked out from its settings alone: the names, shapes and
/// parameter tensors it would have there. Nothing is allocated, so a file's claims can be checked before they cost memory.
/// </summary>
internal sealed record LayerLayout(string Name, TensorShape Input, TensorShape Output, IReadOnlyList<ParameterShape> Parameters);
