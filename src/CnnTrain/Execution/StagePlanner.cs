using CnnTrain.Layers;

namespace CnnTrain.Execution;

/// <summary>
/// Turns a network's layers into stages by asking each layer to plan itself (<see cref="Layer.Plan"/>): a layer
/// adds the stages it runs as, and may take the layers after it into one stage when the fusion is exact
/// (ReLU, pooling and flattening do no rounding, so a fused plan gives the bits of layer-by-layer execution).
/// </summary>
internal sealed class StagePlanner
{
    private readonly IReadOnlyList<Layer> _layers;
    private readonly List<Stage> _stages = [];

    private StagePlanner(IReadOnlyList<Layer> layers, StageContext context)
    {
        _layers = layers;
        Context = context;
    }

    public StageContext Context { get; }

    /// <summary>Plans every layer; on failure disposes what was built.</summary>
    public static List<Stage> Plan(IReadOnlyList<Layer> layers, StageContext context)
    {
        var planner = new StagePlanner(layers, context);
        try
        {
            for (int i = 0; i < layers.Count;)
            {
                int used = layers[i].Plan(planner, i);
                if (used < 1 || i + used > layers.Count)
                {
                    throw new InvalidOperationException($"{layers[i].Kind} planned {used} layers from index {i} of {layers.Count}.");
                }

                i += used;
            }

            return planner._stages;
        }
        catch
        {
            foreach (Stage s in planner._stages)
            {
                s.Dispose();
            }

            throw;
        }
    }

    /// <summary>The layer at <paramref name="index"/>, or null past the end.</summary>
    public Layer? LayerAt(int index) => index < _layers.Count ? _layers[index] : null;

    /// <summary>Adds a stage that runs the <paramref name="count"/> layers from <paramref name="first"/>.</summary>
    public void Add(Stage stage, int first, int count)
    {
        stage.Name = string.Join(" + ", _layers.Skip(first).Take(count));
        _stages.Add(stage);
    }
}
