using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace CnnTrain.Tests.Support;

/// <summary>One scalar field of a struct, flattened out of nested structs and arrays: where it sits, how big it is, and whether it is a float.</summary>
public sealed record StructLeaf(string Name, int Offset, int Size, bool IsFloat)
{
    public override string ToString() => $"{Name} @{Offset} ({Size} bytes{(IsFloat ? ", float" : string.Empty)})";
}

/// <summary>
/// The layouts that a kernel argument struct has on each side: parsed from its definition in a .cu file with the
/// C rules of natural alignment, and read from its C# mirror with <see cref="Marshal.OffsetOf(Type, string)"/>.
/// Names are compared without underscores or case (<c>conv_height</c> is <c>ConvHeight</c>).
/// </summary>
public static partial class CStructLayout
{
    private static readonly Dictionary<string, (int Size, bool Float)> Scalars = new(StringComparer.Ordinal)
    {
        ["int"] = (4, false), ["unsigned int"] = (4, false), ["float"] = (4, true), ["long long"] = (8, false), ["double"] = (8, true),
    };

    /// <summary>The leaves of <paramref name="name"/> as the C compiler lays it out, from the .cu source.</summary>
    public static IReadOnlyList<StructLeaf> FromCuda(string source, string name)
    {
        var defines = DefineRegex().Matches(source).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        var structs = StructRegex().Matches(source).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var leaves = new List<StructLeaf>();
        Layout(name, 0, string.Empty, structs, defines, leaves);
        return leaves;
    }

    /// <summary>The leaves of a C# struct, fields in declaration order, inline arrays expanded.</summary>
    public static IReadOnlyList<StructLeaf> FromClr(Type type)
    {
        var leaves = new List<StructLeaf>();
        Walk(type, 0, string.Empty, leaves);
        return leaves;
    }

    public static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static (int Size, int Alignment) Layout(
        string name, int offset, string prefix, Dictionary<string, string> structs, Dictionary<string, int> defines, List<StructLeaf> leaves)
    {
        if (!structs.TryGetValue(name, out string? body))
        {
            throw new InvalidDataException($"No struct {name} in the kernel source.");
        }

        int size = 0, alignment = 1;
        foreach (string raw in CommentRegex().Replace(body, string.Empty).Split(';').Select(f => f.Trim()).Where(f => f.Length > 0))
        {
            Match field = FieldRegex().Match(raw);
            if (!field.Success)
            {
                throw new InvalidDataException($"Cannot read the field '{raw}' of struct {name}.");
            }

            string type = field.Groups[1].Value.Replace("const ", string.Empty, StringComparison.Ordinal).Trim();
            foreach (string declarator in field.Groups[2].Value.Split(',').Select(d => d.Trim()))
            {
                Match d = DeclaratorRegex().Match(declarator);
                bool pointer = type.EndsWith('*') || d.Groups[1].Value == "*";
                string baseType = type.TrimEnd('*').Trim();
                if (!d.Success)
                {
                    throw new InvalidDataException($"Cannot read the declarator '{declarator}' of struct {name}.");
                }

                int count = d.Groups[3].Success ? Evaluate(d.Groups[3].Value, defines) : 1;
                for (int i = 0; i < count; i++)
                {
                    string leafName = prefix + d.Groups[2].Value + (d.Groups[3].Success ? $"[{i}]" : string.Empty);
                    if (pointer || Scalars.ContainsKey(baseType))
                    {
                        (int s, bool f) = pointer ? (8, false) : Scalars[baseType];
                        size = Align(size, s);
                        leaves.Add(new StructLeaf(leafName, offset + size, s, f));
                        size += s;
                        alignment = Math.Max(alignment, s);
                    }
                    else
                    {
                        var nested = new List<StructLeaf>();
                        (int s, int a) = Layout(baseType, 0, string.Empty, structs, defines, nested);
                        size = Align(size, a);
                        leaves.AddRange(nested.Select(l => l with { Name = $"{leafName}.{l.Name}", Offset = offset + size + l.Offset }));
                        size += s;
                        alignment = Math.Max(alignment, a);
                    }
                }
            }
        }

        return (Align(size, alignment), alignment);
    }

    private static void Walk(Type type, int offset, string prefix, List<StructLeaf> leaves)
    {
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => (int)Marshal.OffsetOf(type, f.Name)))
        {
            int at = offset + (int)Marshal.OffsetOf(type, field.Name);
            Type t = field.FieldType;
            string name = prefix + field.Name.TrimStart('_');
            if (t.IsPrimitive)
            {
                leaves.Add(new StructLeaf(name, at, Marshal.SizeOf(t), t == typeof(float) || t == typeof(double)));
            }
            else if (t.GetCustomAttribute<InlineArrayAttribute>() is InlineArrayAttribute array)
            {
                FieldInfo element = t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Single();
                int stride = Marshal.SizeOf(element.FieldType);
                for (int i = 0; i < array.Length; i++)
                {
                    if (element.FieldType.IsPrimitive)
                    {
                        leaves.Add(new StructLeaf($"{name}[{i}]", at + (i * stride), stride, element.FieldType == typeof(float)));
                    }
                    else
                    {
                        Walk(element.FieldType, at + (i * stride), $"{name}[{i}].", leaves);
                    }
                }
            }
            else
            {
                Walk(t, at, name + ".", leaves);
            }
        }
    }

    // An array extent: numbers and #defines joined by '+', as in "SGD_MAX_TENSORS + 1".
    private static int Evaluate(string expression, Dictionary<string, int> defines) =>
        expression.Split('+').Select(t => t.Trim()).Sum(t => int.TryParse(t, out int n) ? n : defines[t]);

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    [GeneratedRegex(@"#define\s+(\w+)\s+(\d+)")]
    private static partial Regex DefineRegex();

    [GeneratedRegex(@"struct\s+(\w+)\s*\{([^}]*)\}\s*;")]
    private static partial Regex StructRegex();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"^((?:const\s+)?(?:unsigned\s+)?(?:long\s+long|int|float|double|\w+)\s*\**)\s*(.+)$", RegexOptions.Singleline)]
    private static partial Regex FieldRegex();

    [GeneratedRegex(@"^(\*?)\s*(\w+)\s*(?:\[([^\]]+)\])?$")]
    private static partial Regex DeclaratorRegex();
}
