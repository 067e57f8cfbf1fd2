using NUnit.Framework;

namespace CnnTrain.Tests.Support;

/// <summary>A fixture whose every test gets a fresh temporary folder, deleted with all it holds afterwards.</summary>
public abstract class TempFolderTests
{
    /// <summary>The test's folder.</summary>
    protected string Folder { get; private set; } = null!;

    [SetUp]
    public void CreateFolder() => Folder = Directory.CreateTempSubdirectory($"cnntrain-{GetType().Name}-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Folder, recursive: true);
}
