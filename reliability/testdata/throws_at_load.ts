// A task module that throws while loading.
throw new Error("thrown at load");
