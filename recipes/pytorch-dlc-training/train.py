"""A minimal training entry point: reports the libraries the image provides."""

import faiss
import torch
import torch_geometric


def main() -> None:
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, available: {torch.cuda.is_available()}")
    print(f"torch_geometric {torch_geometric.__version__}, faiss {faiss.__version__}")


if __name__ == "__main__":
    main()
