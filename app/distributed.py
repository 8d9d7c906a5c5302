"""Training across processes and machines with torch's own DistributedDataParallel (``torchrun``).

``torchrun`` starts one process per GPU (or per CPU slot) on each machine and
sets ``WORLD_SIZE``, ``RANK``, ``LOCAL_RANK``, ``MASTER_ADDR`` and
``MASTER_PORT``; ``group_from_env()`` reads them (None: a plain single
process). Every process holds the whole model, draws its own batches (its
rank is its batch stream) and DDP averages the gradients, so they all take
the same step and train one model. Rank 0 (the leader) validates, writes
checkpoints and logs; at each checkpoint every rank hashes its weights and
the leader checks they agree (``replicas_agree``). Cancellation (Ctrl-C, a
deadline) is agreed too: ``SharedCancel.check()`` is a collective, so all
ranks stop at the same step and no process waits forever for the others.

Backends: NCCL for CUDA, gloo for the CPU (what the tests use). No file paths
here; ``app.training`` owns the files.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engines.common import CancelToken, Cancelled

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class Group:
    """This process's place: ``rank`` of ``world`` processes, ``local_rank`` on its machine."""

    rank: int
    world: int
    local_rank: int

    @property
    def leader(self) -> bool:
        return self.rank == 0


def group_from_env() -> Group | None:
    """The torchrun group this process belongs to, or None outside torchrun (or a world of 1)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return None
    return Group(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))


def start(group: Group, device: str) -> "torch.device":
    """Join the process group; returns this rank's device ("cuda:LOCAL_RANK" or the CPU)."""
    import torch
    import torch.distributed as dist

    if device == "cuda":
        torch.cuda.set_device(group.local_rank)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device == "cuda" else "gloo", rank=group.rank,
                                world_size=group.world)
    return torch.device("cuda", group.local_rank) if device == "cuda" else torch.device("cpu")


def stop(*, together: bool) -> None:
    """Leave the process group. ``together``: the run ended normally on every rank, so wait for all
    of them first (the leader may still be writing its last checkpoint); tearing gloo down while a
    peer is still connected can abort the process ("terminate called without an active exception")."""
    import torch.distributed as dist

    if not dist.is_initialized():
        return
    if together:
        dist.barrier()
    dist.destroy_process_group()


def wrap(model: "torch.nn.Module") -> "torch.nn.Module":
    """The model under DDP, on the device its parameters are on."""
    from torch.nn.parallel import DistributedDataParallel

    device = next(model.parameters()).device
    return DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)


class SharedCancel(CancelToken):
    """A cancel token all ranks agree on: ``check()`` raises on every rank once any rank was cancelled.

    ``check()`` is a collective (one all-reduce of a flag): call it at the same
    point on every rank, as the training loop does once per step.
    """

    def __init__(self, local: CancelToken, device: "torch.device") -> None:
        super().__init__()
        self.local, self.device = local, device

    def check(self) -> None:
        import torch
        import torch.distributed as dist

        flag = torch.tensor([1.0 if self.local.cancelled or self.cancelled else 0.0], device=self.device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        if flag.item() > 0:
            self.cancel()
            raise Cancelled("cancelled")


def weights_digest(state: dict[str, "torch.Tensor"]) -> str:
    """sha256 of the model weights ("model.*" tensors) in a training state, in key order."""
    digest = hashlib.sha256()
    for key in sorted(k for k in state if k.startswith("model.")):
        digest.update(key.encode())
        digest.update(state[key].detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def gather_digests(digest: str) -> list[str]:
    """Every rank's digest, in rank order (a collective)."""
    import torch.distributed as dist

    out: list[object] = [None] * dist.get_world_size()
    dist.all_gather_object(out, digest)
    return [str(d) for d in out]
