using CnnTrain.Mnist;
using CnnTrain.Tests.Support;
using CnnTrain.Training;
using FluentAssertions;
using NUnit.Framework;
using static CnnTrain.Tests.Sample.SampleRunner;

namespace CnnTrain.Tests.Sample;

/// <summary>The trainer app when training diverges or the options cannot run: a message, an exit code, and nothing good overwritten.</summary>
public class DivergenceCommandTests : TempFolderTests
{
    private static readonly string[] Tiny = ["--limit", "200", "--filters", "4", "--batch-size", "50", "--seed", "5", "--quiet", "--device", "sequential"];

    [Test]
    public void A_diverging_run_exits_3_and_keeps_the_good_model_and_checkpoint()
    {
        string model = Path.Combine(Folder, "good.model"), checkpoint = Path.Combine(Folder, "good.ckpt");
        (int code, _, string errors) = Run([.. Tiny, "--epochs", "1", "--save", model, "--checkpoint", checkpoint]);
        code.Should().Be(ExitCodes.Success, errors);
        byte[] goodModel = File.ReadAllBytes(model), goodCheckpoint = File.ReadAllBytes(checkpoint);

        (code, _, errors) = Run([.. Tiny, "--epochs", "2", "--lr", "1e30", "--save", model, "--checkpoint", checkpoint, "--report", Path.Combine(Folder, "r.json")]);

        code.Should().Be(ExitCodes.Diverged);
        errors.Should().Contain("Training diverged in epoch 1 at step").And.NotContain("   at ");
        File.ReadAllBytes(model).Should().Equal(goodModel);
        File.ReadAllBytes(checkpoint).Should().Equal(goodCheckpoint);
        Network.Load(model).GetParameterDigest().Should().NotBeEmpty();
        using Trainer resumed = Trainer.Resume(checkpoint, new CnnTrain.Devices.Sequential.SequentialDevice());
        resumed.EpochsCompleted.Should().Be(1);
    }

    [Test]
    public void A_batch_no_device_buffer_can_hold_is_an_error_not_a_stack_trace()
    {
        // A 1x1 kernel keeps 28x28 planes: 4096 of them pooled are 800,000 values a sample, 2.4 billion for 3,000.
        (int code, _, string errors) = Run(["--limit", "3000", "--quiet", "--device", "sequential", "--filters", "4096", "--kernel", "1", "--batch-size", "65536", "--epochs", "1"]);
        code.Should().Be(ExitCodes.Failure);
        errors.Should().Contain("lower the batch size").And.NotContain("   at ");
    }
}
