// asl-validator 4 ships no type declarations; this is the part of its surface changeflow calls.
declare module 'asl-validator' {
  interface AslValidationError {
    'Error code': string;
    Message: string;
    schemaError?: { instancePath: string; schemaPath: string };
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText: (separator?: string) => string;
  }
  // The validator writes a default QueryLanguage into every state: pass it a copy.
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
  export default aslValidator;
}
