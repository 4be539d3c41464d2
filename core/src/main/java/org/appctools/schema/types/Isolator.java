package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A named isolator with a typed value. A known name must carry its own value type; any other name
 * carries {@link IsolatorValue.Unknown} with the raw JSON, so images with isolators from newer or
 * other implementations still load.
 */
public record Isolator(AcIdentifier name, IsolatorValue value) {
  public Isolator {
    if (name == null) {
      throw new InvalidValueException("invalid isolator: name is required");
    }
    if (value == null) {
      throw new InvalidValueException("invalid isolator \"" + name + "\": value is required");
    }
    Class<? extends IsolatorValue> expected = Isolators.valueType(name.value());
    if (!expected.isInstance(value)) {
      throw new InvalidValueException("invalid isolator \"" + name + "\": value must be a "
          + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
    }
  }

  /** Whether this is one of the isolators the spec or the Go reference defines. */
  public boolean isKnown() {
    return !(value instanceof IsolatorValue.Unknown);
  }

  @JsonCreator
  public static Isolator fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidValueException("invalid isolator: must be a JSON object with name and value");
    }
    JsonNode n = JsonFields.get(node, "name");
    if (n == null || n.isNull()) {
      throw new InvalidValueException("invalid isolator: name is required");
    }
    if (!n.isTextual()) {
      throw new InvalidValueException("invalid isolator: name must be a string");
    }
    AcIdentifier name = AcIdentifier.parse(n.textValue());
    JsonNode v = JsonFields.get(node, "value");
    return new Isolator(name, IsolatorValue.fromJson(name.value(), v));
  }

  @JsonValue
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", name.value());
    o.set("value", value.toJson());
    return o;
  }
}
