// A task module that fails to load: it throws at the top level.
throw new Error("broken at load");
