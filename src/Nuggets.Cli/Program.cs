using Nuggets.Cli;

return NuggetsCli.Run(args);
