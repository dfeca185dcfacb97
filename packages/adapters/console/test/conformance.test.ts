/**
 * The development notifiers pass the kit's notifier checks: the file
 * notifier against its real file (re-pointed at /dev/full or a folder to
 * fail), the console notifier against an output that answers as told.
 * Both are configured with the channels they serve, since by default they
 * serve every channel and the kit checks that an unserved one is refused.
 */
import { notifierConformance } from "@community-policing/testkit"
import { ConsoleNotifier, FileNotifier } from "../src/index.ts"
import { type ConsoleReceiver, consoleReceiver, type FileReceiver, fileReceiver } from "./support/receivers.ts"

notifierConformance("adapter-console: FileNotifier", {
  receiver: fileReceiver,
  layer: (receiver) => FileNotifier.layer({ path: (receiver as FileReceiver).path, channels: ["email"] })
})

notifierConformance("adapter-console: ConsoleNotifier", {
  receiver: consoleReceiver,
  layer: (receiver) => ConsoleNotifier.layer({ output: (receiver as ConsoleReceiver).output, channels: ["email"] })
})
