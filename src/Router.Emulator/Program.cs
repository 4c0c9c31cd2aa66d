using Router.Emulator;

await EmulatorApp.Build(args).RunAsync();
