using System.Buffers.Binary;
using System.Text;

namespace CnnTrain.Tests.Persistence.Fuzzing;

/// <summary>
/// Names every field of a payload this library wrote, walking it as docs/file-format.md lays it out: an account of
/// the format independent of the codecs, so a mutant can aim at a field rather than at a random byte. The walk must
/// end exactly at the payload's end, which checks the document against the writer.
/// </summary>
internal sealed class FieldMap
{
    private readonly byte[] _payload;
    private readonly List<Field> _fields = [];
    private int _at;

    private FieldMap(byte[] payload) => _payload = payload;

    public static IReadOnlyList<Field> OfModel(byte[] payload)
    {
        var map = new FieldMap(payload);
        map.Network();
        return map.Finish();
    }

    public static IReadOnlyList<Field> OfCheckpoint(byte[] payload)
    {
        var map = new FieldMap(payload);
        map.Network();
        map.Add(FieldKind.Int32, "epochs completed");
        map.Add(FieldKind.Int64, "steps completed");
        map.Add(FieldKind.Int32, "batch size");
        map.Add(FieldKind.Single, "learning rate");
        map.Add(FieldKind.Int32, "seed");
        map.Add(FieldKind.Flag, "shuffle");
        map.Add(FieldKind.Int32, "progress reports");
        switch (map.Add(FieldKind.Code, "schedule kind"))
        {
            case 1:
                map.Add(FieldKind.Int32, "step every epochs");
                map.Add(FieldKind.Double, "step gamma");
                break;
            case 2:
                map.Add(FieldKind.Int32, "cosine length");
                map.Add(FieldKind.Double, "cosine minimum rate");
                map.Add(FieldKind.Flag, "cosine per step");
                break;
        }

        if (map.Add(FieldKind.Flag, "early stopping") == 1)
        {
            map.Add(FieldKind.Int32, "patience");
            map.Add(FieldKind.Double, "minimum delta");
            map.Add(FieldKind.Code, "metric");
            map.Add(FieldKind.Flag, "restore best weights");
        }

        string optimizer = map.Text("optimizer");
        int settings = optimizer == "sgd" ? 2 : 4;
        for (int i = 0; i < settings; i++)
        {
            map.Add(FieldKind.Single, $"{optimizer} setting {i}");
        }

        if (optimizer == "sgd")
        {
            map.Add(FieldKind.Flag, "Nesterov");
        }

        map.Add(FieldKind.Double, "validation fraction");
        if (map.Add(FieldKind.Flag, "augmentation") == 1)
        {
            map.Add(FieldKind.Int32, "crop padding");
            map.Add(FieldKind.Flag, "horizontal flip");
        }

        int parameters = map.Add(FieldKind.Int32, "state parameter count");
        for (int p = 0; p < parameters; p++)
        {
            int tensors = map.Add(FieldKind.Int32, $"state tensor count {p}");
            for (int t = 0; t < tensors; t++)
            {
                map.Floats($"state {p}.{t}");
            }
        }

        int entries = map.Add(FieldKind.Int32, "history length");
        for (int e = 0; e < entries; e++)
        {
            map.Add(FieldKind.Int32, $"epoch {e}");
            map.Add(FieldKind.Double, $"mean loss {e}");
            map.Add(FieldKind.Double, $"train accuracy {e}");
            map.Add(FieldKind.Int32, $"samples {e}");
            map.Add(FieldKind.Double, $"train seconds {e}");
            if (map.Add(FieldKind.Flag, $"has test {e}") == 1)
            {
                map.Add(FieldKind.Double, $"test loss {e}");
                map.Add(FieldKind.Double, $"test accuracy {e}");
                map.Add(FieldKind.Double, $"test seconds {e}");
            }

            if (map.Add(FieldKind.Flag, $"has validation {e}") == 1)
            {
                map.Add(FieldKind.Double, $"validation loss {e}");
                map.Add(FieldKind.Double, $"validation accuracy {e}");
                map.Add(FieldKind.Double, $"validation seconds {e}");
            }
        }

        return map.Finish();
    }

    private void Network()
    {
        int rank = Add(FieldKind.Code, "input rank");
        for (int i = 0; i < rank; i++)
        {
            Add(FieldKind.Int32, $"input dimension {i}");
        }

        int layers = Add(FieldKind.Int32, "layer count");
        for (int l = 0; l < layers; l++)
        {
            int kind = Add(FieldKind.Code, $"layer {l} kind");
            if (kind == 6)
            {
                Add(FieldKind.Flag, $"layer {l} global");
            }

            int settings = kind switch
            {
                1 => 4,
                3 => 2,
                5 => 1,
                6 => 2,
                _ => 0,
            };
            for (int s = 0; s < settings; s++)
            {
                Add(FieldKind.Int32, $"layer {l} setting {s}");
            }

            if (kind == 7)
            {
                Add(FieldKind.Double, $"layer {l} dropout probability");
            }
            else if (kind is 8 or 9)
            {
                Add(FieldKind.Int32, $"layer {l} channels");
                Add(FieldKind.Double, $"layer {l} momentum");
                Add(FieldKind.Double, $"layer {l} epsilon");
                Floats($"layer {l} running mean");
                Floats($"layer {l} running variance");
            }
        }

        int parameters = Add(FieldKind.Int32, "parameter count");
        for (int p = 0; p < parameters; p++)
        {
            Text($"parameter {p} name");
            int rank2 = Add(FieldKind.Code, $"parameter {p} rank");
            for (int d = 0; d < rank2; d++)
            {
                Add(FieldKind.Int32, $"parameter {p} dimension {d}");
            }

            Floats($"parameter {p} values");
        }
    }

    private string Text(string name)
    {
        int length = Add(FieldKind.Count, $"{name} length");
        string text = Encoding.UTF8.GetString(_payload, _at, length);
        for (int i = 0; i < length; i++)
        {
            Add(FieldKind.TextByte, $"{name} byte {i}");
        }

        return text;
    }

    private void Floats(string name)
    {
        int count = Add(FieldKind.Count, $"{name} count");
        for (int i = 0; i < count; i++)
        {
            Add(FieldKind.Value, $"{name} [{i}]");
        }
    }

    /// <summary>Records the field at the cursor and returns its value as an integer (the bits, for floats).</summary>
    private int Add(FieldKind kind, string name)
    {
        var field = new Field(_at, kind, name);
        _fields.Add(field);
        _at = field.End;
        ReadOnlySpan<byte> bytes = _payload.AsSpan(field.Offset, field.Width);
        return field.Width switch
        {
            1 => bytes[0],
            4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            _ => (int)BinaryPrimitives.ReadInt64LittleEndian(bytes),
        };
    }

    private List<Field> Finish() => _at == _payload.Length
        ? _fields
        : throw new InvalidDataException($"The field map ends at byte {_at} of a {_payload.Length}-byte payload: docs/file-format.md and the writer disagree.");
}
