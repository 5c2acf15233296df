import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { AgentStep } from '../shared/agent-protocol/index.js';
import type { StepLimits } from './timing.js';

// An Activity task's Resource is a fixed ARN, so "the site's agent" is a Choice on the site
// with one Activity task per configured site. The task input is the prepared AgentTask
// ($.task); the agent's answer lands in $.agentResult for the next Lambda to record.

export interface AgentStepProps {
  readonly step: AgentStep;
  readonly label: string;
  readonly activities: Readonly<Record<string, sfn.IActivity>>;
  readonly limits: StepLimits;
  readonly onError: sfn.IChainable;
  readonly errorResultPath: string;
}

export interface AgentStepStates {
  readonly start: sfn.Choice;
  readonly tasks: sfn.TaskStateBase[];
  /** Continue here once the task of whichever site ran has finished. */
  readonly join: sfn.Pass;
}

export function agentStep(scope: Construct, props: AgentStepProps): AgentStepStates {
  const choice = new sfn.Choice(scope, `${props.label}: which site`);
  const join = new sfn.Pass(scope, `${props.label}: done`);
  const tasks_: sfn.TaskStateBase[] = [];
  for (const [site, activity] of Object.entries(props.activities)) {
    const task = new tasks.StepFunctionsInvokeActivity(scope, `${props.label} @${site}`, {
      activity,
      inputPath: '$.task',
      resultPath: '$.agentResult',
      heartbeatTimeout: sfn.Timeout.duration(Duration.seconds(props.limits.heartbeatSeconds)),
      taskTimeout: sfn.Timeout.duration(Duration.seconds(props.limits.timeoutSeconds)),
    });
    task.addCatch(props.onError, { errors: ['States.ALL'], resultPath: props.errorResultPath });
    choice.when(sfn.Condition.stringEquals('$.change.site', site), task.next(join));
    tasks_.push(task);
  }
  // validate-request refuses unknown sites, so this branch means the stack and the request
  // disagree about which sites exist: fail loudly rather than wait forever.
  choice.otherwise(
    new sfn.Fail(scope, `${props.label}: no agent for this site`, {
      error: 'SiteNotConfigured',
      cause: 'no Activity is configured for the change target site',
    }),
  );
  return { start: choice, tasks: tasks_, join };
}
