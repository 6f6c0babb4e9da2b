package io.carteiro.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns unreadable JSON bodies and failed Bean Validation into HTTP 400 with {@code {"error": "...", "field": ...}},
 * naming the field that is wrong, so every API resource answers bad input the same way.
 */
public class ApiErrors {

    /** The one shape of an API error body. */
    public static Response badRequest(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(field == null ? Map.of("error", message) : Map.of("error", message, "field", field)).build();
    }

    /** An error body with any status, e.g. 404 or 409. */
    public static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElse(null);
        if (first == null) {
            return badRequest(null, e.getMessage());
        }
        String message = e.getConstraintViolations().stream()
                .map(ApiErrors::describe).sorted().distinct().collect(Collectors.joining("; "));
        return badRequest(field(first.getPropertyPath()), message);
    }

    /** The JSON reader wraps some parse failures in a bare 400; give those the same explanatory body. */
    @ServerExceptionMapper
    public Response wrapped(WebApplicationException e) {
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof JsonProcessingException)) {
            cause = cause.getCause();
        }
        if (cause instanceof JsonProcessingException json && e.getResponse().getStatus() == 400) {
            return unreadable(json);
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : "has the wrong type";
            return badRequest(field, field + ": " + why);
        }
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return badRequest(null, "request body is not valid JSON" + location + ": " + e.getOriginalMessage());
    }

    private static String describe(ConstraintViolation<?> violation) {
        String field = field(violation.getPropertyPath());
        String message = violation.getMessage();
        return field == null || message.startsWith(field) ? message : field + ": " + message;
    }

    /** The last named node of a path such as {@code create.body.name}, or null for the whole body. */
    private static String field(Path path) {
        String name = null;
        int depth = 0;
        for (Path.Node node : path) {
            depth++;
            if (depth > 2 && node.getName() != null) {
                name = name == null ? node.getName() : name + "." + node.getName();
            }
        }
        if (name == null && depth == 2) {
            return null;
        }
        return name;
    }
}
