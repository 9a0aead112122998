// lutbuild's steps: reads lutbuild.toml and wires the modules into BuildGraph.
