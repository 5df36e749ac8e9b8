"""``python -m pipeline …`` is ``bulletin …``: for a machine where the command is not on PATH."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="bulletin")
