"""The command line, in layers that import only downward:

- ``errors`` (CliError, exit codes) and ``loading`` (the banks and the sessions folder the flags
  name) at the bottom;
- ``parser``, every subcommand's arguments;
- one module per group of subcommands: ``banks``, ``grade``, ``sessions``, ``schedule``,
  ``serve``;
- ``main`` on top: the entry point, which parses and dispatches.

Nothing is imported here, so that importing one layer does not pull in the others.
"""
